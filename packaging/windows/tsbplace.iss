; Inno Setup 6 script for TSBplace. Built by packaging\build-windows.ps1, which passes
;   /DAppVersion=<version from pyproject.toml> /DSourceDir=<dist\tsbplace> /DOutputDir=<dist>
; Installs per user by default (no administrator rights needed, into
; %LOCALAPPDATA%\Programs\TSBplace); an administrator may choose "all users" in the
; dialog or with /ALLUSERS on the command line (into Program Files).
; The uninstaller removes the program only: the data (database, keys, backups, logs) in
; %LOCALAPPDATA%\TSBplace is health data and stays until the clinic deletes it.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=0.1.0 ...
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\tsbplace"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; A fixed AppId: upgrades replace the old version instead of installing beside it.
AppId={{6F1E4C2A-7B3D-4E8F-9A51-2C7D0B9E3F14}
AppName=TSBplace
AppVersion={#AppVersion}
AppVerName=TSBplace {#AppVersion}
AppPublisher=The TSBplace developers
DefaultDirName={autopf}\TSBplace
DefaultGroupName=TSBplace
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=tsbplace-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\tsbplace.exe
UninstallDisplayName=TSBplace {#AppVersion}
VersionInfoVersion={#AppVersion}
CloseApplications=yes

[Languages]
Name: "nb"; MessagesFile: "compiler:Languages\Norwegian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not keep modules or migrations the new version no longer ships.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\TSBplace"; Filename: "{app}\tsbplace.exe"
Name: "{autodesktop}\TSBplace"; Filename: "{app}\tsbplace.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\tsbplace.exe"; Description: "{cm:LaunchProgram,TSBplace}"; Flags: nowait postinstall skipifsilent
