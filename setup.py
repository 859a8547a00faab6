"""Map the top-level templates/ and migrations/ into the package, so a wheel carries them.

Everything else about the package is declared in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

TREES = {"crm.templates": "templates", "crm.migrations": "migrations"}


def tree_packages(package: str, folder: str) -> list[str]:
    """The package for a mapped folder and one for each folder below it."""
    root = Path(folder)
    below = sorted(p for p in root.rglob("*") if p.is_dir() and p.name != "__pycache__")
    return [package] + [".".join([package, *p.relative_to(root).parts]) for p in below]


mapped = [name for package, folder in TREES.items() for name in tree_packages(package, folder)]
setup(
    # Namespace discovery takes in crm/static and its folders as data-only packages.
    packages=find_namespace_packages(include=["crm", "crm.*"], exclude=["*.__pycache__"]) + mapped,
    package_dir=TREES,
    package_data={name: ["*"] for name in mapped}
    | {"crm": ["py.typed"], "crm.static": ["**/*"], "crm.auth": ["common_passwords.*"]},
    exclude_package_data={"": ["*.pyc"]},
)
