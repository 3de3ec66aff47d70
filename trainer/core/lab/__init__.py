"""The training lab's core: datasets, a float copy of the network, the engine process, a session.

No Textual or rich here. The screen (``tui/screens/lab.py``) drives a ``LabSession``; the
session trains in a separate process (``runner``) whatever the engine, the reference or the
learner's own file, and hands back plain floats.
"""

from .datasets import DATASETS, Dataset, PointOutside, load
from .floatnet import FloatNet, Layout
from .engine import EngineError, EngineProcess, EngineTimeout
from .session import LabConfig, LabSession, StepResult

__all__ = ["DATASETS", "Dataset", "PointOutside", "load", "FloatNet", "Layout", "EngineError", "EngineProcess",
           "EngineTimeout", "LabConfig", "LabSession", "StepResult"]
