import sys

from reference.experiments import main

sys.exit(main())
