"""Unit tests of the data stages: `cd models/training && /usr/bin/python3 -m unittest`."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
