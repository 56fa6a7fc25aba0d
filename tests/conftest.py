"""Shared set-up for the project's own tests.

torch is imported before anything else: on this platform, loading tensorflow before
torchvision (or torch._dynamo) crashes the interpreter, and several tests load both.
"""
import torch  # noqa: F401
