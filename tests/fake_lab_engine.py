"""A lab engine that says it is ready and then never answers (tests/test_lab.py: a request in
flight when the engine is replaced)."""

import sys
import time

if __name__ == "__main__":
    print('{"ready": true}', flush=True)
    for _ in sys.stdin:
        time.sleep(3600)
