"""gradrill: rebuild micrograd from memory."""

__version__ = "0.1.0"
