"""Reading input files into raw documents, strictly, without losing any.

Top-down: `load` runs a read (files found by `discover`, each read by the
reader its syntax names: `json_strict`/`yaml_strict` through `parse`, `jsonl`
line by line, spreadsheets by checker.tables) and bounds what it read
(`bounds`); `inputs` holds the values every step shares. Nothing is imported
here, so importing one module of the package imports only what it needs.
"""
