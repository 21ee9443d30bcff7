"""What the domain says when it refuses. Every message is written for the person at the desk."""


class DeskError(Exception):
    """A refusal the user can act on; nothing was recorded."""


class NotFound(DeskError):
    pass


class Refused(DeskError):
    """The request breaks a rule (closed slip, wrong slip, bad quantity...)."""


class PermissionDenied(DeskError):
    """The acting user may not do this; `permission` names what was asked for (models.access)."""

    def __init__(self, message: str, permission: str | None = None):
        super().__init__(message)
        self.permission = permission


class SiteRestored(PermissionDenied):
    """The database was restored from a backup since this terminal signed in: what it saw
    is gone, so it signs in again before it writes anything."""


class AuthError(DeskError):
    """Wrong name or PIN, or a locked user. Never says which part was wrong."""
