"""The test suite (a package, so that an installed package named `tests` cannot shadow it)."""
