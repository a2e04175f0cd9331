"""Package data: the built-in .docx templates, mapped into the package as ``docgen.templates_docx``
(see pyproject.toml; ``make templates`` rewrites them)."""
