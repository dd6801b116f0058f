"""Print the digest of pyproject.toml's dependency lists (what the lock files are made from).

scripts/lock writes it into each lock file's header; scripts/setup compares it, so a dependency
added to pyproject.toml without running scripts/lock stops the install with a clear message, while
an edit to the tools' settings in the same file does not.
"""

import hashlib
import json
import sys
import tomllib
from pathlib import Path


def digest(pyproject: Path) -> str:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    wanted = {
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
    }
    return hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()


if __name__ == "__main__":
    print(digest(Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml")))
