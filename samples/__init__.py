"""Package data: the sample inputs, mapped into the package as ``docgen.samples`` (see pyproject.toml)."""
