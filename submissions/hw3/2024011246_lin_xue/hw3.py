# 林雪 旧版本（从 notebook 导出，还没写完）
import numpy as np

M1, M2, M3 = (3, 3), (4, 3), (1, 1)
X = [M1, M2, M3]
Y = [1, 1, -1]

TABLE = [
    (0, None, (0, 0), 0),
]
