"""verweef: follow the work of Flemish verweefcoaches from the command line."""

__version__ = "0.1.0"
