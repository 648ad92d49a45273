"""The quarterly status report: data (``build``) and its renderers."""
