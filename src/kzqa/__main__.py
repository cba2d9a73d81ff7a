import sys

from kzqa.cli import main

sys.exit(main())
