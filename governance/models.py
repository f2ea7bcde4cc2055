"""Models of the governance app (DESIGN.md section 1); filled in by a later issue."""
