# %% [markdown]
# # 作业五：参数量 / Homework 5: counting parameters
#
# **题目 / Problem（作业 V）.** 我们的手写数字识别案例中，多层神经网络模型的参数总共有多少个？如果图片变成了
# 256×256 大小，那么模型的参数将会发生如何变化？当模型参数过大的时候，有什么措施可以降低计算的复杂度或是提升
# 计算的速度？
#
# In the lecture's handwritten-digit case, how many parameters does the multi-layer network have in total?
# If the images become 256×256, how do the parameters change? When a model has too many parameters, what can
# be done to lower the cost of the computation or to speed it up?
#
# 案例中的网络 / The case's network: `DIGIT_NET = [784, 256, 128, 10]`——28×28 = 784 个输入，两个隐藏层
# （256 和 128 个神经元），10 个输出（10 类），每个非输入层都有偏置。/ 28×28 = 784 inputs, two hidden layers
# (256 and 128 neurons), 10 outputs (10 classes), a bias in every layer after the input.
#
# **这个网络从哪里来 / Where this network comes from.** 课件 004 的“手写数字识别”一节在材料里只有标题，没有给出网络
# 结构。隐藏层 256、128 和 10 个输出取自笔记 003 的 FNN 一节：“(背景是判别手写…0~9)”，示意图
# `input -> hidden -> output`，隐藏层写着 `256`、`128`，输出 `10 Neu`（sigmoid 或 softmax 输出 10 类）。
# 同样的两个隐藏层 (256, 128) 也出现在学生报告 001 中，那是 12 个手写汉字、28×28 图片的分类（12 类，不是 10 类）。
# 输入 784 = 28×28 是本课程的选择（常见的 28×28 手写数字图片；笔记 003 的图在输入下写的是 `256*256`，
# 那是作业 V 第二问的情形，下面的 `Q5_PARAMS_256`）。
# Lecture 004's "handwritten digit recognition" section survives in the material as a title only, with no network.
# The hidden layers 256 and 128 and the 10 outputs come from the FNN section of notes 003: "(背景是判别手写…0~9)"
# (the task: telling handwritten 0–9 apart), a sketch `input -> hidden -> output` with hidden `256`, `128` and output
# `10 Neu`. The same hidden layers (256, 128) appear in the student report 001, which classifies 12 handwritten
# Chinese characters in 28×28 images (12 classes, not 10). The 784 = 28×28 inputs are this course's choice (the
# usual 28×28 digit images); the sketch in notes 003 writes `256*256` under the input, which is the second question
# of Essay V, `Q5_PARAMS_256` below.
#
# **约定 / Conventions.**
# - `layer_sizes = [n_0, n_1, ..., n_L]`：`n_0` 是输入维数，`n_L` 是输出个数；可以是 list、tuple 或 NumPy 整数数组。
#   第 l 层（l = 1..L）有权重 `W^(l)`，形状 `(n_l, n_{l-1})`，和偏置 `b^(l)`，形状 `(n_l, 1)`；输入层没有参数。
#   只有一层 `[n_0]` 的"网络"没有参数：结果为 0。
#   / `layer_sizes = [n_0, ..., n_L]` (a list, tuple or NumPy integer array): `n_0` inputs, `n_L` outputs.
#   Layer l = 1..L has `W^(l)` of shape `(n_l, n_{l-1})` and `b^(l)` of shape `(n_l, 1)`; the input layer has
#   no parameters, so a single layer `[n_0]` gives 0.
# - 参数个数 / parameters: `Σ_l n_{l-1}·n_l`，有偏置时再加 `Σ_l n_l`（每个非输入神经元一个偏置）。
#   / plus `Σ_l n_l` with biases (one per neuron after the input).
# - 乘加次数 MAC（multiply-accumulate）：一个样本做一次前向传播，`W^(l) a^(l-1)` 中每个权重做一次乘加，
#   即 `Σ_l n_{l-1}·n_l`；加偏置和激活函数不算 MAC；一次 MAC 计为 1（不是乘法、加法各算一次）。
#   / one sample, one forward pass: every weight is used once in `W^(l) a^(l-1)`, so `Σ_l n_{l-1}·n_l`;
#   adding the bias and the activation are not MACs; a MAC counts as 1 (not as one multiply plus one add).
# - 计数必须完全准确（返回 int；`235146.0` 这样的整数值浮点数也接受）。`Q5_GROWTH` 是比值，容差 `rtol=1e-3`：
#   写 71.5 或 71.49 都对，写 71 或 72 不对。
#   / Counts must be exact (return an int; an integer-valued float such as `235146.0` is accepted).
#   `Q5_GROWTH` is a ratio checked with `rtol=1e-3`: 71.5 or 71.49 are right, 71 or 72 are not.
#
# **分值 / Points.** 自动评分 14 分（`count_params` 7 分、`count_macs` 3 分、三个数值答案 4 分；
# 检查多个网络结构（随机深度 1–6、宽度 1–1000，有无偏置，list / tuple / NumPy 数组）的测试按算对的结构比例给分）
# + 人工评分 4 分（`Q5_MEASURES`），共 18 分。
# Auto-graded: 14 points (`count_params` 7, `count_macs` 3, the three numbers 4; a test over many architectures
# (random depth 1–6, widths 1–1000, with and without bias, as lists, tuples and NumPy arrays) credits the share
# counted right) + graded by hand: 4 (`Q5_MEASURES`); 18 in all.

# %%
DIGIT_NET = [784, 256, 128, 10]

# %% [markdown]
# ## 1. 计数函数 / Counting functions
# - `count_params(layer_sizes, bias=True) -> int`：全连接网络的参数个数；`bias=False` 时只数权重。
#   / the number of parameters; with `bias=False` only the weights count.
# - `count_macs(layer_sizes) -> int`：一个样本一次前向传播的乘加次数。/ MACs of one forward pass of one sample.
#
# 例 / Example: `count_params([2, 3, 1]) == 13`（2·3 + 3 + 3·1 + 1），`count_params([2, 3, 1], bias=False) == 9`，
# `count_macs([2, 3, 1]) == 9`，`count_params([5]) == 0`。


# %%
def count_params(layer_sizes, bias=True):
    """layer_sizes [n_0, ..., n_L]. Returns Σ_l n_{l-1}·n_l (+ n_l with bias) as an int."""
    raise NotImplementedError


# %%
def count_macs(layer_sizes):
    """Multiply-accumulates of one forward pass of one sample: Σ_l n_{l-1}·n_l, as an int."""
    raise NotImplementedError


# %% [markdown]
# ## 2. 数值答案 / The numbers
# - `Q5_PARAMS`：`DIGIT_NET` 的参数总数（含偏置），一个整数。
#   / the parameters of `DIGIT_NET` (biases included), an integer.
# - `Q5_PARAMS_256`：图片变为 256×256（输入 256·256 = 65536 维，其余各层不变）时的参数总数。
#   / the same network on 256×256 images (65536 inputs, the other layers unchanged).
# - `Q5_GROWTH = Q5_PARAMS_256 / Q5_PARAMS`：参数变为原来的多少倍（一个数，容差 `rtol=1e-3`）。若两个计数有错，
#   但 `Q5_GROWTH` 正是你自己两个数的比值，这一项得一半分。/ how many times as many parameters (a number,
#   tolerance `rtol=1e-3`); when the counts are wrong but `Q5_GROWTH` is the ratio of your own two numbers,
#   it earns half its point.
#
# 可以直接写数，也可以用你的 `count_params` 计算。公开测试（`grader check`）只检查这三个数的形式、`Q5_GROWTH`
# 是否是你两个数的比值，以及两个数是否等于你自己的 `count_params` 在这两个网络上的结果；它不显示任何数值，
# 通过它也不等于答案正确（你的 `count_params` 可能有小网络上看不出的错误）。
# / Write the numbers or compute them with your `count_params`. The public tests (`grader check`) check only
# their form, that `Q5_GROWTH` is the ratio of your two numbers, and that the numbers equal your own
# `count_params` of the two networks; they show no values, and passing them does not prove the numbers right
# (your `count_params` may have a mistake that small networks do not show).

# %%
Q5_PARAMS = ...

# %%
Q5_PARAMS_256 = ...

# %%
Q5_GROWTH = ...

# %% [markdown]
# ## 3. 人工评分（4 分）/ Graded by hand (4 points)
# 当模型参数过大的时候，有什么措施可以降低计算的复杂度或是提升计算的速度？请结合上面的计算（参数主要来自哪一层）
# 说明至少三种措施，并说明每种措施为什么有效。把回答写成字符串 `Q5_MEASURES`。
#
# When a model has too many parameters, what lowers the cost of the computation or speeds it up? Using the
# numbers above (which layer holds the parameters?), give at least three measures and say why each one works.
# Write the answer as the string `Q5_MEASURES`.

# %%
Q5_MEASURES = """
在这里写你的回答。/ Write your answer here.
"""
