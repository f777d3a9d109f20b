"""Helpers of hw5's public and hidden tests, shipped to students with the public tests."""

DIGIT_NET = [784, 256, 128, 10]  # as the statement gives it
DIGIT_NET_256 = [256 * 256, 256, 128, 10]  # the statement's 256×256 images: 65536 inputs, the other layers unchanged
GROWTH_RTOL = 1e-3  # the statement's tolerance for Q5_GROWTH: 71.5 and 71.49 are right, 71 and 72 are not
