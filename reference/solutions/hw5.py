# %% [markdown]
# # 作业五：参数量 / Homework 5: counting parameters
#
# 课件手写数字识别案例的网络：`DIGIT_NET = [784, 256, 128, 10]`（28×28 输入，两个隐藏层，10 类，每层都有偏置）。
# The handwritten-digit network of the lecture: 28×28 inputs, two hidden layers, 10 classes, a bias in every layer.

# %%
DIGIT_NET = [784, 256, 128, 10]


# %%
def count_params(layer_sizes, bias=True):
    """layer_sizes [n_0, ..., n_L]. Returns Σ_l n_{l-1}·n_l (+ n_l with bias) as an int."""
    ### BEGIN SOLUTION
    sizes = list(layer_sizes)
    return sum(sizes[l - 1] * sizes[l] + (sizes[l] if bias else 0) for l in range(1, len(sizes)))
    ### END SOLUTION


# %%
def count_macs(layer_sizes):
    """Multiply-accumulates of one forward pass of one sample: Σ_l n_{l-1}·n_l, as an int."""
    ### BEGIN SOLUTION
    sizes = list(layer_sizes)
    return sum(sizes[l - 1] * sizes[l] for l in range(1, len(sizes)))
    ### END SOLUTION


# %% [markdown]
# `Q5_PARAMS`：`DIGIT_NET` 的参数个数。`Q5_PARAMS_256`：输入变为 256×256 时的参数个数。
# `Q5_GROWTH = Q5_PARAMS_256 / Q5_PARAMS`。

# %%
### BEGIN SOLUTION
Q5_PARAMS = 235146  # 784·256 + 256 + 256·128 + 128 + 128·10 + 10 = 200960 + 32896 + 1290
### END SOLUTION
### BEGIN STUB
# Q5_PARAMS = ...
### END STUB

# %%
### BEGIN SOLUTION
Q5_PARAMS_256 = 16811658  # 65536·256 + 256 + 32896 + 1290: only the first layer grows
### END SOLUTION
### BEGIN STUB
# Q5_PARAMS_256 = ...
### END STUB

# %%
### BEGIN SOLUTION
Q5_GROWTH = Q5_PARAMS_256 / Q5_PARAMS  # ≈ 71.5
### END SOLUTION
### BEGIN STUB
# Q5_GROWTH = ...
### END STUB

# %% [markdown]
# ## 人工评分（4 分）/ Graded by hand (4 points)
# 当模型参数过大的时候，有什么措施可以降低计算的复杂度或是提升计算的速度？

# %%
### BEGIN SOLUTION
Q5_MEASURES = """
参数变多主要来自第一层（65536×256）。可以：
1. 换结构：用卷积层代替全连接层（局部连接、权值共享），加池化或步长卷积先降低分辨率；
2. 降低输入维度：先缩放图像（如 256×256 → 28×28）、裁剪，或用 PCA 等降维；
3. 压缩模型：剪枝（去掉不重要的连接/神经元）、低秩分解（W ≈ UV）、量化（float32 → int8）、知识蒸馏到小模型；
4. 加速计算：小批量矩阵运算并行、用 GPU/TPU 等硬件、混合精度（float16/bfloat16）、稀疏计算；
5. 训练上：Dropout、L2 正则化控制过拟合，早停减少不必要的计算。
"""
### END SOLUTION
### BEGIN STUB
# Q5_MEASURES = """
# 在这里写你的回答。/ Write your answer here.
# """
### END STUB
