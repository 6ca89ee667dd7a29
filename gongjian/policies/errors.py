"""The one error of the policies package."""


class PolicyProfileError(ValueError):
    """A profile is missing or malformed; the message names the file and the key, in Chinese."""
