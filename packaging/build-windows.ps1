<#
.SYNOPSIS
  Build TSBplace for Windows: a PyInstaller one-folder bundle, an Inno Setup installer
  and a portable zip. Not run in CI (Linux only); see packaging/README.md.

.DESCRIPTION
  Run from a PowerShell prompt in the checkout, with Python 3.11+ (64-bit, python.org
  installer, "py" launcher) and Inno Setup 6 (iscc.exe on PATH or in its default folder):

    powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1

  Produces, in dist\:
    tsbplace\                                  the bundle (tsbplace.exe windowed, tsbplace-cli.exe console)
    tsbplace-<version>-windows-x64-setup.exe   the installer (per-user by default; see tsbplace.iss)
    tsbplace-<version>-windows-x64-portable.zip the bundle with tsbplace-portable.txt beside the exe
  then runs tsbplace-cli.exe --version and self-test (offscreen) as a smoke test.
#>
[CmdletBinding()]
param(
    [string]$Python = "py -3.11",
    [string]$Iscc = ""
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$Root = (Resolve-Path (Join-Path $PSScriptRoot "..")).Path
Set-Location $Root
$Work = Join-Path ([System.IO.Path]::GetTempPath()) ("tsbplace-build-" + [guid]::NewGuid().ToString("N"))
New-Item -ItemType Directory -Path $Work | Out-Null

try {
    # The clean virtual environment: only the wheel (pinned by the constraints) and PyInstaller.
    $pyParts = @($Python -split " " | Where-Object { $_ })
    $pyArgs = @($pyParts | Select-Object -Skip 1) + @("-m", "venv", "$Work\venv")
    Invoke-Checked $pyParts[0] $pyArgs
    $VenvPython = Join-Path $Work "venv\Scripts\python.exe"
    $Version = & $VenvPython -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"
    if ($LASTEXITCODE -ne 0) { throw "cannot read the version from pyproject.toml" }
    Invoke-Checked $VenvPython @("-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade", "pip")
    Invoke-Checked $VenvPython @("-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", "$Work\wheel", $Root)
    $Wheel = (Get-ChildItem "$Work\wheel\tsbplace-*.whl" | Select-Object -First 1).FullName
    Invoke-Checked $VenvPython @("-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "-c", "requirements\constraints.txt", "$Wheel[packaging,postgres]")

    # PyInstaller, run away from the checkout so only the installed wheel is imported.
    foreach ($old in @("dist\tsbplace", "dist\tsbplace-$Version-windows-x64-portable.zip")) {
        if (Test-Path $old) { Remove-Item -Recurse -Force $old }
    }
    Push-Location $Work
    try {
        Invoke-Checked (Join-Path $Work "venv\Scripts\pyinstaller.exe") @("--noconfirm", "--clean",
            "--log-level", "WARN", "--distpath", "$Root\dist", "--workpath", "$Work\build",
            "$Root\packaging\tsbplace.spec")
    } finally { Pop-Location }

    # Smoke test with the console executable, in an empty data folder.
    $env:QT_QPA_PLATFORM = "offscreen"
    $env:TSBPLACE_DATA_DIR = Join-Path $Work "data"
    Invoke-Checked "$Root\dist\tsbplace\tsbplace-cli.exe" @("--version")
    Invoke-Checked "$Root\dist\tsbplace\tsbplace-cli.exe" @("self-test")
    Remove-Item Env:\QT_QPA_PLATFORM, Env:\TSBPLACE_DATA_DIR

    # The installer.
    if (-not $Iscc) {
        $cmd = Get-Command iscc.exe -ErrorAction SilentlyContinue
        if ($cmd) { $Iscc = $cmd.Source }
        else { $Iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
    }
    if (-not (Test-Path $Iscc)) { throw "Inno Setup 6 (ISCC.exe) not found; install it or pass -Iscc PATH" }
    Invoke-Checked $Iscc @("/Qp", "/DAppVersion=$Version", "/DSourceDir=$Root\dist\tsbplace",
        "/DOutputDir=$Root\dist", "$Root\packaging\windows\tsbplace.iss")

    # The portable variant: the same folder plus the marker beside the executables.
    $Portable = Join-Path $Work "portable\tsbplace"
    New-Item -ItemType Directory -Path (Split-Path $Portable) | Out-Null
    Copy-Item -Recurse "$Root\dist\tsbplace" $Portable
    Copy-Item "$Root\packaging\tsbplace-portable.txt" $Portable
    Compress-Archive -Path $Portable -DestinationPath "$Root\dist\tsbplace-$Version-windows-x64-portable.zip" -Force

    Get-ChildItem "$Root\dist" | Format-Table Name, Length
} finally {
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}
