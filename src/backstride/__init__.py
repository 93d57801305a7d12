"""backstride: running with low back pain, on the runner's own machine."""

__version__ = "0.1.0"
