"""The seeded catalogue: its data file (`catalogue.yaml`) and the loader (`loader.py`)."""
