"""The ``tsbplace`` command: the GUI by default, headless subcommands otherwise.

``tsbplace`` alone opens the clinician's window. ``tsbplace --version`` and
``tsbplace self-test`` work without any display. Global options choose the data
directory and database (``--data-dir`` / ``TSBPLACE_DATA_DIR``, ``--database-url`` /
``TSBPLACE_DATABASE_URL``) and the language (``--language`` / ``TSBPLACE_LANGUAGE``).
Commands that touch patient data in an encrypted store sign in with ``--user NAME``
(``TSBPLACE_USER``) and the password on standard input (``--password-stdin``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tsbplace import __version__
from tsbplace.i18n import DEFAULT_LANGUAGE, LANGUAGES, set_language, tr
from tsbplace.locations import DATA_DIR_ENV, DATABASE_URL_ENV, Locations, resolve_locations

if TYPE_CHECKING:
    from tsbplace.selftest import ExtraCheck

LANGUAGE_ENV = "TSBPLACE_LANGUAGE"
USER_ENV = "TSBPLACE_USER"
STORE_COMMANDS = ("replay", "check", "backup", "restore", "demo-data", "init", "audit", "access-report",
                  "letter", "export", "import", "stats")
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

GuiLauncher = Callable[[Locations], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tsbplace", description=tr("cli.description"))
    parser.add_argument("--version", action="version", version=f"TSBplace {__version__}")
    parser.add_argument("--data-dir", metavar=tr("cli.metavar.dir"),
                        help=tr("cli.help.data_dir", env=DATA_DIR_ENV))
    parser.add_argument("--database-url", metavar="URL",
                        help=tr("cli.help.database_url", env=DATABASE_URL_ENV))
    parser.add_argument("--language", choices=LANGUAGES,
                        help=tr("cli.help.language", env=LANGUAGE_ENV))
    parser.add_argument("--user", metavar=tr("cli.metavar.user"), default=os.environ.get(USER_ENV),
                        help=tr("cli.help.user", env=USER_ENV))
    parser.add_argument("--password-stdin", action="store_true", help=tr("cli.help.password_stdin"))
    commands = parser.add_subparsers(dest="command", metavar=tr("cli.metavar.command"))
    # --user and --password-stdin may also follow the command (tsbplace init --admin A --password-stdin)
    signing = argparse.ArgumentParser(add_help=False)
    signing.add_argument("--user", metavar=tr("cli.metavar.user"), default=argparse.SUPPRESS,
                         help=tr("cli.help.user", env=USER_ENV))
    signing.add_argument("--password-stdin", action="store_true", default=argparse.SUPPRESS,
                         help=tr("cli.help.password_stdin"))
    commands.add_parser("gui", help=tr("cli.help.gui"))
    commands.add_parser("self-test", help=tr("cli.help.self_test"))
    check = commands.add_parser("content-check", help=tr("cli.help.content_check"))
    check.add_argument("folder", nargs="?", type=Path, metavar=tr("cli.metavar.dir"),
                       help=tr("cli.help.content_folder"))
    commands.add_parser("instruments", help=tr("cli.help.instruments"))
    scoring = commands.add_parser("score", help=tr("cli.help.score"))
    scoring.add_argument("instrument", help=tr("cli.help.score_instrument"))
    scoring.add_argument("answers", nargs="*", metavar=tr("cli.metavar.answer"),
                         help=tr("cli.help.score_answers"))
    scoring.add_argument("--sex", choices=("F", "M"), help=tr("cli.help.score_sex"))
    scoring.add_argument("--band-set", metavar="ID", help=tr("cli.help.score_band_set"))
    scoring.add_argument("--json", action="store_true", help=tr("cli.help.json"))
    assessing = commands.add_parser("assess", help=tr("cli.help.assess"))
    assessing.add_argument("file", type=Path, metavar=tr("cli.metavar.file"), help=tr("cli.help.assess_file"))
    assessing.add_argument("--json", action="store_true", help=tr("cli.help.json"))
    replaying = commands.add_parser("replay", parents=[signing], help=tr("cli.help.replay"))
    replaying.add_argument("--ruleset", type=Path, required=True, metavar=tr("cli.metavar.dir"),
                           help=tr("cli.help.replay_ruleset"))
    replaying.add_argument("--json", action="store_true", help=tr("cli.help.json"))
    commands.add_parser("check", parents=[signing], help=tr("cli.help.check"))
    backing_up = commands.add_parser("backup", parents=[signing], help=tr("cli.help.backup"))
    backing_up.add_argument("--out", type=Path, required=True, metavar=tr("cli.metavar.file"),
                            help=tr("cli.help.backup_out"))
    restoring = commands.add_parser("restore", parents=[signing], help=tr("cli.help.restore"))
    restoring.add_argument("file", type=Path, metavar=tr("cli.metavar.file"),
                           help=tr("cli.help.restore_file"))
    demo = commands.add_parser("demo-data", parents=[signing], help=tr("cli.help.demo_data"))
    demo.add_argument("--cases", type=int, required=True, metavar="N", help=tr("cli.help.demo_cases"))
    demo.add_argument("--force", action="store_true", help=tr("cli.help.demo_force"))
    init = commands.add_parser("init", parents=[signing], help=tr("cli.help.init"))
    init.add_argument("--admin", required=True, metavar=tr("cli.metavar.user"),
                      help=tr("cli.help.init_admin"))
    init.add_argument("--name", metavar=tr("cli.metavar.name"), help=tr("cli.help.init_name"))
    audit = commands.add_parser("audit", parents=[signing], help=tr("cli.help.audit"))
    audit.add_argument("--case", metavar=tr("cli.metavar.case"), help=tr("cli.help.audit_case"))
    audit.add_argument("--verify", action="store_true", help=tr("cli.help.audit_verify"))
    report = commands.add_parser("access-report", parents=[signing], help=tr("cli.help.access_report"))
    report.add_argument("--national-id", required=True, metavar=tr("cli.metavar.national_id"),
                        help=tr("cli.help.report_national_id"))
    report.add_argument("--out", type=Path, required=True, metavar=tr("cli.metavar.file"),
                        help=tr("cli.help.report_out"))
    letter = commands.add_parser("letter", parents=[signing], help=tr("cli.help.letter"))
    letter.add_argument("case", metavar=tr("cli.metavar.case"), help=tr("cli.help.letter_case"))
    letter.add_argument("--kind", required=True, choices=("pasient", "henviser", "henvisning", "notat"),
                        help=tr("cli.help.letter_kind"))
    letter.add_argument("--out", type=Path, required=True, metavar=tr("cli.metavar.file"),
                        help=tr("cli.help.report_out"))
    exporting = commands.add_parser("export", parents=[signing], help=tr("cli.help.export"))
    exporting.add_argument("case", nargs="?", metavar=tr("cli.metavar.case"), help=tr("cli.help.export_case"))
    exporting.add_argument("--all", action="store_true", help=tr("cli.help.export_all"))
    exporting.add_argument("--format", required=True, choices=("json", "fhir", "csv"),
                           help=tr("cli.help.export_format"))
    exporting.add_argument("--out", type=Path, required=True, metavar=tr("cli.metavar.file"),
                           help=tr("cli.help.seal_out"))
    exporting.add_argument("--seal", action="store_true", help=tr("cli.help.export_seal"))
    stats = commands.add_parser("stats", parents=[signing], help=tr("cli.stats.help.command"))
    stats.add_argument("--json", action="store_true", help=tr("cli.stats.help.json"))
    stats.add_argument("--from", dest="start", type=_iso_date, metavar="YYYY-MM-DD",
                       help=tr("cli.stats.help.start"))
    stats.add_argument("--to", dest="end", type=_iso_date, metavar="YYYY-MM-DD",
                       help=tr("cli.stats.help.end"))
    stats.add_argument("--clinician", metavar=tr("cli.metavar.user"), help=tr("cli.stats.help.clinician"))
    stats.add_argument("--unit", metavar=tr("cli.metavar.unit"), help=tr("cli.stats.help.unit"))
    stats.add_argument("--by-clinician", action="store_true", help=tr("cli.stats.help.by_clinician"))
    importing = commands.add_parser("import", parents=[signing], help=tr("cli.help.import"))
    importing.add_argument("file", type=Path, metavar=tr("cli.metavar.file"), help=tr("cli.help.seal_file"))
    importing.add_argument("--on-duplicate", choices=("refuse", "skip", "new-version"), default="refuse",
                           help=tr("cli.help.import_duplicate"))
    for name in ("seal", "unseal"):
        what = tr("cli.help.seal") if name == "seal" else tr("cli.help.unseal")
        sealing = commands.add_parser(name, help=what)
        sealing.add_argument("file", type=Path, metavar=tr("cli.metavar.file"), help=tr("cli.help.seal_file"))
        sealing.add_argument("--out", type=Path, required=True, metavar=tr("cli.metavar.file"),
                             help=tr("cli.help.seal_out"))
        sealing.add_argument("--passphrase-stdin", action="store_true", help=tr("cli.help.passphrase_stdin"))
    return parser


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("cli.stats.bad_date", text=text)) from None


def _choose_language(argv: Sequence[str]) -> None:
    """Set the language before the parser is built, so ``--help`` is translated too."""
    language = os.environ.get(LANGUAGE_ENV) or DEFAULT_LANGUAGE
    for index, arg in enumerate(argv):
        if arg == "--language" and index + 1 < len(argv):
            language = argv[index + 1]
        elif arg.startswith("--language="):
            language = arg.split("=", 1)[1]
    set_language(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def _content_command(args: argparse.Namespace) -> int:
    from tsbplace import content_commands as commands

    if args.command == "content-check":
        return commands.check_content(args.folder, sys.stdout, sys.stderr)
    if args.command == "instruments":
        return commands.list_instruments(sys.stdout)
    return commands.score_instrument(args.instrument, args.answers, sex=args.sex,
                                     band_set=args.band_set, as_json=args.json,
                                     out=sys.stdout, err=sys.stderr)


def _case_command(args: argparse.Namespace, locations: Locations) -> int:
    from tsbplace.assess_commands import assess_file

    return assess_file(args.file, as_json=args.json, out=sys.stdout, err=sys.stderr)


def _key(args: argparse.Namespace, locations: Locations, *, audited: bool) -> bytes | None:
    """The encrypted store's key from ``--user`` and the password on standard input."""
    from tsbplace.account_commands import store_key

    return store_key(locations, args.user, args.password_stdin, sys.stdin, audited=audited)


def _maintenance_command(args: argparse.Namespace, locations: Locations) -> int:
    from tsbplace import maintenance_commands as commands

    # check and restore must work on a store too damaged to open: the key only, no sign-in
    key = _key(args, locations, audited=args.command == "backup")
    if args.command == "check":
        return commands.check_store(locations, sys.stdout, sys.stderr, key)
    if args.command == "backup":
        return commands.backup_store(locations, args.out, sys.stdout, sys.stderr, key)
    return commands.restore_store(locations, args.file, sys.stdout, sys.stderr, key)


def _account_command(args: argparse.Namespace, locations: Locations) -> int:
    from tsbplace import account_commands as commands

    if args.command == "init":
        return commands.init_command(locations, args.admin, args.name, args.password_stdin, sys.stdin,
                                     sys.stdout, sys.stderr)
    workspace = commands.signed_in(locations, args.user, args.password_stdin, sys.stdin)
    try:
        if args.command == "audit":
            return commands.audit_command(workspace, args.case, args.verify, sys.stdout, sys.stderr)
        if args.command == "letter":
            from tsbplace.letter_commands import letter_command

            return letter_command(workspace, args.case, args.kind, args.out, sys.stdout, sys.stderr)
        if args.command in ("export", "import"):
            return _exchange_command(args, workspace)
        if args.command == "stats":
            from tsbplace.indicators import IndicatorFilter
            from tsbplace.stats_commands import stats_command

            return stats_command(workspace, IndicatorFilter(args.start, args.end, args.clinician, args.unit),
                                 args.by_clinician, args.json, sys.stdout)
        return commands.access_report_command(workspace, args.national_id, args.out, sys.stdout, sys.stderr)
    finally:
        workspace.close()


def _exchange_command(args: argparse.Namespace, workspace: Any) -> int:
    """export and import; a sealed file's passphrase is the next line of standard input
    (after the password, if one was read)."""
    from tsbplace import exchange_commands as commands

    if args.command == "export":
        passphrase = sys.stdin.readline().rstrip("\r\n") if args.seal else None
        return commands.export_command(workspace, args.case, args.all, args.format, args.out, passphrase,
                                       sys.stdout, sys.stderr)
    return commands.import_command(workspace, args.file, args.on_duplicate, sys.stdin, sys.stdout,
                                   sys.stderr)


def _store_command(args: argparse.Namespace, locations: Locations) -> int:
    """A command on the configured store; a refusal (no user, wrong password) is one line."""
    from tsbplace.account_commands import CommandRefused

    try:
        if args.command in ("check", "backup", "restore"):
            return _maintenance_command(args, locations)
        if args.command in ("init", "audit", "access-report", "letter", "export", "import", "stats"):
            return _account_command(args, locations)
        key = _key(args, locations, audited=True)
        if args.command == "replay":
            from tsbplace.replay_commands import replay_ruleset

            return replay_ruleset(args.ruleset, locations, as_json=args.json, out=sys.stdout,
                                  err=sys.stderr, key=key)
        from tsbplace.demo_data import demo_data_command

        return demo_data_command(locations, args.cases, force=args.force, out=sys.stdout, err=sys.stderr,
                                 key=key)
    except CommandRefused as refused:
        print(refused.message, file=sys.stderr)
        return refused.code


def main(argv: Sequence[str] | None = None, gui: GuiLauncher | None = None,
         gui_checks: Sequence[ExtraCheck] = ()) -> int:
    """Run the command line. ``gui`` opens the window and ``gui_checks`` are the GUI's
    self-test checks; the Qt layer passes both in (``tsbplace.ui.launch``), because the
    core never imports the GUI."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    _choose_language(args_list)
    args = build_parser().parse_args(args_list)
    locations = resolve_locations(args.data_dir, args.database_url)
    if args.command == "self-test":
        from tsbplace.selftest import run_self_test

        return run_self_test(sys.stdout, gui_checks)
    if args.command in ("content-check", "instruments", "score"):
        return _content_command(args)
    if args.command == "assess":
        return _case_command(args, locations)
    if args.command in STORE_COMMANDS:
        return _store_command(args, locations)
    if args.command in ("seal", "unseal"):
        from tsbplace.seal_commands import seal_command, unseal_command

        run = seal_command if args.command == "seal" else unseal_command
        return run(args.file, args.out, args.passphrase_stdin, sys.stdin, sys.stdout, sys.stderr)
    if gui is None:
        print(tr("cli.no_gui_here"), file=sys.stderr)
        return EXIT_USAGE
    return gui(locations)


if __name__ == "__main__":
    raise SystemExit(main())
