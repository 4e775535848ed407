"""Shared test set-up.

Notebooks and tests use the 5,000-digit MNIST sample unless MNIST_SOURCE is
already set, so the committed notebook outputs reproduce on any machine, and
a full-scale run stays possible (``MNIST_SOURCE=openml pytest``).
"""

import os

os.environ.setdefault("MNIST_SOURCE", "sample")
