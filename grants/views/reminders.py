"""Pages: reminders."""


def register_panels() -> None:
    """Add this area's sections to other pages (core.panels); called once at start-up."""
