"""Reading the editable YAML files in data/ (the taxonomy, the convention, checklists, districts)."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser when PyYAML has it: about 4× faster than the pure-Python one, and the taxonomy
# alone (5,000 lines) took 0.6 s to read that way at every start.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """The document in ``text``, with PyYAML's safe loader (raises yaml.YAMLError)."""
    return yaml.load(text, Loader=SAFE_LOADER)
