"""Who is acting, and from where: stamped on every record written and every audit entry.

Until clinician accounts exist (the security issue), the user is the operating-system
account that runs TSBplace; the workstation is the computer's network name.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass

MAX_LENGTH = 100  # the width of the who/workstation columns


@dataclass(frozen=True)
class Actor:
    user: str
    workstation: str


def local_actor() -> Actor:
    """The signed-in operating-system user on this computer."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers and services)
        user = "unknown"
    return Actor(user[:MAX_LENGTH], (socket.gethostname() or "unknown")[:MAX_LENGTH])
