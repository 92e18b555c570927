"""A short exception hierarchy whose messages tell the user what to do next.

The CLI and the app show `str(error)`, never a traceback.
"""


class TutorError(Exception):
    """Base class: something the user can act on."""


class ConfigError(TutorError):
    """A setting is malformed."""


class UsageError(TutorError):
    """The request itself is unusable (an empty question, a file type we do not read)."""


class NoNotes(UsageError):
    """There are no notes to answer from (the app says this in its own words, no path)."""


class DocumentError(TutorError):
    """A notes file cannot be read: empty, binary, undecodable, too large, or no text layer."""


class IndexUnavailable(TutorError):
    """The vector store cannot be reached (a Chroma server that is down) or is unusable."""


class IndexDamaged(IndexUnavailable):
    """The embedded index's files are damaged. The index is derived from the notes, so the
    tutor sets it aside and builds it again instead of failing."""
