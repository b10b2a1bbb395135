"""Generated from proto/bridge/v1 by proto/generate.py; do not edit."""
