"""Package data: the JSON Schemas, mapped into the package as ``docgen.schemas`` (see pyproject.toml)."""
