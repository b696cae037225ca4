"""`python -m licensecheck`."""

from .cli import main

main()
