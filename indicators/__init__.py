"""The indicator catalog: declared in catalog.yaml (base) and derived.yaml (ratios)."""
