"""workshop: real-time workshops from projector to phones."""

__version__ = "0.1.0"
