# %% [markdown]
# # 作业四：反向传播的四个方程 / Homework 4: backpropagation, the four equations
#
# **题目 / Problem.** 用 NumPy 实现一个全连接 BP 网络：激活函数及其导数、初始化、前向传播、反向传播的四个方程、
# 数值梯度检验和小批量梯度下降训练；再对一个 3–4–2 网络手算一个梯度 $\partial E/\partial\Theta^{(3)}_{23}$，
# 并回答作业 IV。这个网络的结构（3 个输入、4 个隐藏神经元、2 个输出）来自课件（004，“$n_3 = 2, n_2 = 4, n_1 = 3$”），
# 课件只给出结构和符号，没有给出数值：下面的权重、偏置、输入和目标是本课程自己取的。
#
# Implement a fully connected BP network in NumPy: activations and their derivatives, initialisation, the forward
# pass, the four backpropagation equations, a numerical gradient check and mini-batch gradient descent; then derive
# one gradient of a 3–4–2 network by hand, $\partial E/\partial\Theta^{(3)}_{23}$, and answer Essay IV. The network's
# structure (3 inputs, 4 hidden neurons, 2 outputs) is the lecture's (004, "$n_3 = 2, n_2 = 4, n_1 = 3$"); the lecture
# gives only the structure and the notation, no numbers: the weights, biases, input and target below are this
# course's own.
#
# **约定 / Conventions（与课件一致 / as in the lecture）.**
# - 第 `l` 层有 `n_l` 个神经元；`W^(l)` 形状 `(n_l, n_{l-1})`，`b^(l)` 形状 `(n_l, 1)`（也可以用 `(n_l,)`）。
#   Layer `l` has `n_l` neurons; `W^(l)` is `(n_l, n_{l-1})`, `b^(l)` is `(n_l, 1)` (`(n_l,)` is accepted too).
# - 一批输入 `X` 形状 `(n_0, m)`，**每一列是一个样本**；目标 `Y` 形状 `(n_L, m)`。`m = 1` 也必须能用。
#   A batch `X` is `(n_0, m)` with **samples as columns**; targets `Y` are `(n_L, m)`. `m = 1` must work too.
# - `z^(l) = W^(l) a^(l-1) + b^(l)`，`a^(l) = f(z^(l))`，`a^(0) = X`。
# - 网络 `params` 是 `(W, b)` 对的列表，输入层之后每层一对：`params[0]` 连接输入层和第一个隐藏层。
#   课件把输入层记为第 1 层，所以课件的 $\Theta^{(l)}$ 是 `params[l-2]`。
#   A network `params` is a list of `(W, b)` pairs, one per layer after the input; the lecture counts the input as
#   layer 1, so its $\Theta^{(l)}$ is `params[l-2]`.
# - 每个样本的损失 `E = ½‖y − a^(L)‖²`（`loss="half_sse"`），或 softmax 输出配交叉熵 `E = −Σ_k y_k ln a_k`
#   （`loss="ce"`，只与 `output="softmax"` 搭配）。一批的损失和梯度都是 `m` 个样本的**平均**（不是总和）。
#   Per-sample loss `E = ½‖y − a^(L)‖²` (`"half_sse"`) or, with `output="softmax"` only, cross-entropy
#   `E = −Σ_k y_k ln a_k` (`"ce"`). A batch's loss and gradients are the **mean** over its `m` samples, not the sum.
# - 隐藏层激活 `activation` 取 `"sigmoid"`、`"tanh"`、`"relu"`、`"leaky_relu"`（`gamma = 0.01`）；
#   输出层 `output` 取这些名字之一、`"identity"` 或 `"softmax"`。
#   Hidden `activation` is one of `"sigmoid"`, `"tanh"`, `"relu"`, `"leaky_relu"` (`gamma = 0.01`); `output` is one
#   of these, `"identity"` or `"softmax"`.
# - 返回值可以是 NumPy 数组、list 或 tuple，比较的是数值；默认容差 `rtol=1e-6, atol=1e-9`，另有说明的除外。
#   Results may be arrays, lists or tuples; values are compared, by default within `rtol=1e-6, atol=1e-9`.
#
# **分值 / Points.** 自动评分 46 分 + 人工评分 4 分（作业 IV）= 50 分。自动评分：激活函数与导数 10、初始化与前向 7、
# 反向传播 14、数值梯度 4、训练 8、手算梯度 `DE_DTHETA_23` 3；其中 14 分是发给你的公开测试（`grader check hw4`），
# 其余是隐藏测试（随机网络，与参考实现和数值梯度比较，以及真实训练）。公开测试只检查规则和性质，不给出答案：
# 例如把你的 `backward` 与你自己的 `forward` 的中心差分比较（梯度检验），把 `DE_DTHETA_23` 与你自己的 `forward`
# 算出的数值导数比较，但不会显示它的值（这一项 0 分，只是提醒：`DE_DTHETA_23` 的 3 分只看它的值）。
# Auto-graded: 46 points (activations and derivatives 10, initialisation and forward 7, backpropagation 14, numerical
# gradient 4, training 8, the hand-derived `DE_DTHETA_23` 3); 14 of them are the public tests you have
# (`grader check hw4`), the rest are hidden (random networks compared with the reference and with numerical
# gradients, and real training). The public tests check rules and properties, never the answers: e.g. your
# `backward` against central differences of your own `forward` (a gradient check), and `DE_DTHETA_23` against the
# numerical derivative of your own `forward`, without showing its value (worth 0: a warning only, the 3 points of
# `DE_DTHETA_23` are for its value). Graded by hand: 4 (Essay IV). Total 50.

# %%
import numpy as np

# 3–4–2 sigmoid 网络、输入与目标（已给出，不要修改）。结构是课件的，数值是本课程自己取的，课件中没有这些数。
# A 3-4-2 sigmoid network, its input and target (given; do not change them). The structure is the lecture's; the
# numbers are this course's own, the lecture has none.
LECTURE_PARAMS = [
    (
        np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [0.2, -0.1, 0.05]]),
        np.array([[0.1], [-0.1], [0.2], [0.0]]),
    ),
    (
        np.array([[0.3, -0.5, 0.2, 0.7], [-0.4, 0.6, 0.1, -0.2]]),
        np.array([[0.05], [-0.05]]),
    ),
]
LECTURE_X = np.array([[1.0], [0.5], [-1.5]])
LECTURE_Y = np.array([[1.0], [0.0]])

# %% [markdown]
# ## 1. 激活函数及其导数 / Activations and their derivatives（10 分 / 10 points）
# - 每个函数接受任意形状的数组（或数），逐元素计算，返回同形状的结果。
#   Each function takes an array of any shape (or a number) and works elementwise; the result has the same shape.
# - `softmax(z)` 对 `(n, m)` 的**每一列**（每个样本）做 softmax，每列之和为 1；必须数值稳定：
#   `softmax([[1000], [1000]])` 是 `[[0.5], [0.5]]`，不能是 `nan`（提示：先减去每列的最大值）。
#   `softmax(z)` normalises **each column** (each sample) of an `(n, m)` array, every column summing to 1; it must
#   be stable: `softmax([[1000], [1000]])` is `[[0.5], [0.5]]`, not `nan` (subtract each column's maximum first).
# - `sigmoid` 和 `sigmoid_prime` 在 `z = ±800` 处也必须给出有限的值（`1`、`0` 和 `0`）。
#   `sigmoid` and `sigmoid_prime` must stay finite at `z = ±800` (`1`, `0` and `0`).
# - 导数是对 `z` 求导：`sigmoid_prime(z) = σ(z)(1 − σ(z))`，`tanh_prime(z) = 1 − tanh²(z)`；
#   `relu_prime(0) == 0`，`leaky_relu_prime(0) == gamma`（`z > 0` 时为 1，否则为 0 或 `gamma`）。
#   Derivatives are with respect to `z`: `relu_prime(0) == 0`, `leaky_relu_prime(0) == gamma` (1 where `z > 0`,
#   else 0 or `gamma`).
# - **笔记中的一处笔误 / A slip in the notes.** 笔记 002 写道“∵ 0≦H≦1 ∴ 0≦H(1−H)≦1”，即 σ'(z) ≤ 1。
#   正确的上界是 σ'(z) = σ(z)(1 − σ(z)) ≤ 1/4，在 z = 0（σ = 1/2）处取到，因为 t(1 − t) 在 t = 1/2 处最大。
#   所以反向传播每经过一层 sigmoid，梯度都要乘上一个不超过 1/4 的因子 σ'(z)，层数多了梯度就会消失。
#   Notes 002 write "0 ≦ H(1−H) ≦ 1", i.e. σ'(z) ≤ 1; the correct bound is σ'(z) = σ(z)(1 − σ(z)) ≤ 1/4, reached at
#   z = 0 (σ = 1/2), because t(1 − t) is largest at t = 1/2. So backpropagation through each sigmoid layer multiplies
#   the gradient by a factor σ'(z) of at most 1/4, and over many layers the gradient vanishes.


# %%
def sigmoid(z):
    """Elementwise logistic function; any shape in, same shape out."""
    raise NotImplementedError


# %%
def tanh(z):
    """Elementwise hyperbolic tangent; same shape out."""
    raise NotImplementedError


# %%
def relu(z):
    """Elementwise max(z, 0); same shape out."""
    raise NotImplementedError


# %%
def leaky_relu(z, gamma=0.01):
    """Elementwise z if z > 0 else gamma * z; same shape out."""
    raise NotImplementedError


# %%
def softmax(z):
    """Softmax of each column of z (n, m); same shape out, every column sums to 1."""
    raise NotImplementedError


# %%
def sigmoid_prime(z):
    """dσ/dz = σ(z)(1 − σ(z)); same shape out."""
    raise NotImplementedError


# %%
def tanh_prime(z):
    """d tanh/dz = 1 − tanh²(z); same shape out."""
    raise NotImplementedError


# %%
def relu_prime(z):
    """1 where z > 0, else 0 (also at z = 0); same shape out."""
    raise NotImplementedError


# %%
def leaky_relu_prime(z, gamma=0.01):
    """1 where z > 0, else gamma (also at z = 0); same shape out."""
    raise NotImplementedError


# %% [markdown]
# ## 2. 初始化与前向传播 / Initialisation and the forward pass（7 分 / 7 points）
# - `init_params(layer_sizes, seed=0, method="xavier")`：`layer_sizes = [n_0, n_1, ..., n_L]`，返回
#   `[(W, b), ...]`，`W` 形状 `(n_l, n_{l-1})`。方法：`"zeros"` 全零（`W` 和 `b`）；`"normal"` `W ~ N(0, 0.01²)`；
#   `"xavier"` `W ~ U(−√(6/(n_{l-1}+n_l)), +√(6/(n_{l-1}+n_l)))`（方差 `2/(n_{l-1}+n_l)`）；
#   `"he"` `W ~ N(0, 2/n_{l-1})`。
#   偏置初始化为 0。用 `np.random.default_rng(seed)`：同一个 `seed` 必须给出同样的参数。评分检查形状、全零和方差
#   （容差约 20%），不检查具体的随机数。
#   `init_params` returns `[(W, b), ...]` with `W` of shape `(n_l, n_{l-1})`. Methods: `"zeros"` (W and b all zero),
#   `"normal"` `N(0, 0.01²)`, `"xavier"` `U(±√(6/(n_{l-1}+n_l)))` (variance `2/(n_{l-1}+n_l)`), `"he"`
#   `N(0, 2/n_{l-1})`; biases start at 0. The same `seed` must give the same params. Graded: shapes, exact zeros,
#   variances (within about 20%), never the particular random numbers.
# - `forward(params, X, activation, output)` 返回 `(A_L, cache)`：`A_L` 形状 `(n_L, m)`；`cache` 是你自己的对象
#   （例如所有的 `z` 和 `a`），评分程序不会查看它，只会把它原样交给你的 `backward`。
#   `forward` returns `(A_L, cache)`: `A_L` is `(n_L, m)`; `cache` is your own object (e.g. every `z` and `a`); the
#   grader never looks inside it, it only hands it back to your `backward`.


# %%
def init_params(layer_sizes, seed=0, method="xavier"):
    """layer_sizes [n_0, ..., n_L]. Returns [(W of (n_l, n_{l-1}), b of (n_l, 1)), ...] for l = 1..L."""
    raise NotImplementedError


# %%
def forward(params, X, activation="sigmoid", output="sigmoid"):
    """X: (n_0, m). Returns (A_L of (n_L, m), cache). output: an activation name, "identity" or "softmax"."""
    raise NotImplementedError


# %% [markdown]
# ## 3. 反向传播 / Backpropagation（14 分 / 14 points）
# 四个方程（每个样本一列）/ The four equations (one column per sample):
# - BP1 输出层误差 / output error: `δ^(L) = −(y − a^(L)) ⊙ f'(z^(L))`（`half_sse`）；softmax + 交叉熵
#   （`output="softmax", loss="ce"`）时化简为 `δ^(L) = a^(L) − y`。
# - BP2 隐藏层误差 / hidden error: `δ^(l) = ((W^(l+1))ᵀ δ^(l+1)) ⊙ f'(z^(l))`。
#   **笔记中的一处笔误 / A slip in the notes.** 笔记 002 把误差的反向传播写成
#   “σ_{l,s} = Σ_i (w_is ∗ σ_{l+1,i}) + b_{l,s}”，多加了偏置。偏置只出现在前向的 `z = W a + b` 中，
#   `∂z^(l+1)/∂a^(l) = W^(l+1)` 与 `b` 无关，所以误差里没有 `b`：正确的是上面的 BP2
#   （每经过一层还要乘上该层的 `f'(z^(l))`）。
#   Notes 002 write the backward pass of the error as "σ_{l,s} = Σ_i (w_is ∗ σ_{l+1,i}) + b_{l,s}", with a bias added.
#   The bias enters only the forward `z = W a + b`; `∂z^(l+1)/∂a^(l) = W^(l+1)` does not involve `b`, so the error has
#   no `b` in it: the correct form is BP2 above (times each layer's `f'(z^(l))`).
# - BP3、BP4：`∂E/∂W^(l) = δ^(l) (a^(l-1))ᵀ`，`∂E/∂b^(l) = δ^(l)`；一批样本取**平均**：
#   `dW = δ a_prevᵀ / m`（形状 `(n_l, n_{l-1})`，与 `W` 相同），`db` 是 `δ` 按行（对样本）求平均（形状 `(n_l, 1)`）。
#   For a batch take the **mean**: `dW = δ a_prevᵀ / m` (shape `(n_l, n_{l-1})`, like `W`); `db` is `δ` averaged over
#   the samples (shape `(n_l, 1)`, or `(n_l,)`).
# - **笔记中的一处笔误 / A slip in the notes.** 笔记 000 写道更新 `b` 时“需要对每行求平均值……再乘以 1/m”，公式表中是
#   `db = (1/m)·meanOfEachRow(dZ)`。这里除了两次 m：每行求平均已经除以 m。正确的是
#   `db = (1/m) Σ_样本 δ = δ 按行求平均`（与 `dW = δ a_prevᵀ / m` 一样只除一次 m）；多除一次会让偏置的梯度小 m 倍，
#   梯度检验会发现。
#   Notes 000 write that `b`'s update "takes the mean of each row … then multiplies by 1/m", and the table gives
#   `db = (1/m)·meanOfEachRow(dZ)`: that divides by m twice, since the row mean already divides by m. The correct form
#   is `db = (1/m) Σ_samples δ`, the row mean of `δ` (one division by m, as in `dW = δ a_prevᵀ / m`); the extra 1/m
#   makes the bias gradient m times too small, and a gradient check catches it.
# - `output_delta(a_L, y, z_L, output)` 实现 BP1（`half_sse`，`output` 不是 softmax）；`hidden_delta(W_next,
#   delta_next, z, activation)` 实现 BP2；两者输入输出都是 `(n, m)`。`backward(params, cache, Y, ...)` 返回与
#   `params` 一一对应的 `[(dW, db), ...]`。
#   `output_delta` is BP1 (`half_sse`, output not softmax), `hidden_delta` is BP2, both on `(n, m)` arrays;
#   `backward` returns `[(dW, db), ...]` matching `params`.


# %%
def output_delta(a_L, y, z_L, output="sigmoid"):
    """a_L, y, z_L: (n_L, m). Returns δ^(L) = −(y − a) ⊙ f'(z) for E = ½‖y − a‖², shape (n_L, m)."""
    raise NotImplementedError


# %%
def hidden_delta(W_next, delta_next, z, activation="sigmoid"):
    """W_next: (n_{l+1}, n_l), delta_next: (n_{l+1}, m), z: (n_l, m). Returns δ^(l) of shape (n_l, m)."""
    raise NotImplementedError


# %%
def backward(params, cache, Y, activation="sigmoid", output="sigmoid", loss="half_sse"):
    """Y: (n_L, m). Returns [(dW, db), ...] matching params: gradients of the batch-mean loss."""
    raise NotImplementedError


# %% [markdown]
# ## 4. 数值梯度 / The numerical gradient（4 分 / 4 points）
# `numerical_gradient(f, x, eps=1e-5)`：`f` 是数组 `x` 的标量函数。对 `x` 的每个元素 `x_i` 用**中心差分**
# `(f(x + ε e_i) − f(x − ε e_i)) / 2ε`（不是前向差分 `(f(x + ε e_i) − f(x)) / ε`，它的误差是 `O(ε)`），每次只扰动
# 一个元素；返回与 `x` 形状相同的数组；结束后 `x` 必须恢复原值（每次调用 `f` 时，除了正在扰动的那个元素，
# 其余元素都必须是原值）。评分用三次函数检查精度（容差 `rtol=1e-7`，前向差分达不到）。
# `f` is a scalar function of the array `x`. Perturb one entry at a time and use **central differences**
# `(f(x + ε e_i) − f(x − ε e_i)) / 2ε` (forward differences have an `O(ε)` error and fail the `rtol=1e-7` check);
# return an array shaped like `x`; restore `x` afterwards (whenever `f` is called, every entry but the one being
# perturbed must hold its original value).


# %%
def numerical_gradient(f, x, eps=1e-5):
    """f: a function of the array x returning a float. Returns an array shaped like x."""
    raise NotImplementedError


# %% [markdown]
# ## 5. 训练 / Training（8 分 / 8 points）
# - `sgd_update(params, grads, lr)` 返回**新的**参数列表 `[(W − lr·dW, b − lr·db), ...]`。
#   `sgd_update` returns **new** params `[(W − lr·dW, b − lr·db), ...]`.
#   **笔记中的一处笔误 / A slip in the notes.** 笔记 002 把更新写成“w_i = w_i + η∗∂L/∂w_i”（`b` 和多层网络的更新也是
#   `+ η`）。正确的是梯度**下降** `w ← w − η ∂L/∂w`：梯度指向损失增加最快的方向，要减小损失就沿负梯度走
#   （课件 004 和笔记 000 都写成减号）；用加号是梯度上升，损失会变大。
#   Notes 002 write the update as "w_i = w_i + η∗∂L/∂w_i" (and `+ η` for `b` and in the multi-layer network too). The
#   correct form is gradient **descent**, `w ← w − η ∂L/∂w`: the gradient points where the loss grows fastest, so the
#   loss falls along the negative gradient (lecture 004 and notes 000 write the minus sign); a plus sign is gradient
#   ascent and makes the loss grow.
# - `train(X, Y, layer_sizes, ...)`：用 `init_params(layer_sizes, seed)`（xavier）初始化，然后做小批量梯度下降：
#   每个 epoch 用 `np.random.default_rng(seed)` 打乱样本（列），按 `batch_size` 切成小批量（最后一批可以更小；
#   `batch_size=None` 为全批量 BGD，`1` 为 SGD），每批做一次 `sgd_update`。返回 `(params, losses)`，
#   `len(losses) == epochs`，`losses[e]` 是第 `e` 个 epoch 的平均损失。
#   `train` starts from `init_params(layer_sizes, seed)` (xavier) and runs mini-batch gradient descent: each epoch
#   shuffles the columns with `np.random.default_rng(seed)`, cuts them into batches of `batch_size` (the last may be
#   smaller; `None`: full batch, `1`: SGD) and makes one `sgd_update` per batch. It returns `(params, losses)` with
#   `len(losses) == epochs`, `losses[e]` the mean loss of epoch `e`.
# - 隐藏测试真实地训练：XOR（`[2, 8, 1]`，sigmoid，`lr=2`，3000 个 epoch，全批量）要 100% 正确；
#   `sin` 在 `[−π, π]` 上（`[1, 16, 32, 1]`，leaky ReLU，输出 identity，batch 16，`lr=0.01`，800 个 epoch）的测试
#   MSE 要小于 0.01。0.0064 这个数不是课件的：它来自材料 001，一份学生的实验报告（“对于测试数据求出的平均误差为
#   0.006447873578030209”）。报告给出了网络 [1, 16, 32, 1]、leaky ReLU、batch_size 16、学习率 0.01 和 800 个 epoch，
#   但没有给出随机种子、初始化、训练和测试数据（区间、点数）以及“平均误差”的确切定义，所以这个数无法复现，
#   只作参考；评分只用 0.01 这条线。
#   The hidden tests train for real: XOR (`[2, 8, 1]`, sigmoid, `lr=2`, 3000 epochs, full batch) to 100% accuracy;
#   `sin` on `[−π, π]` (`[1, 16, 32, 1]`, leaky ReLU, identity output, batch 16, `lr=0.01`, 800 epochs) to a test MSE
#   below 0.01. The figure 0.0064 is not the lecture's: it comes from material 001, a student's lab report ("the mean
#   error on the test data is 0.006447873578030209"). The report states the network [1, 16, 32, 1], leaky ReLU,
#   batch size 16, learning rate 0.01 and 800 epochs, but not the random seed, the initialisation, the training and
#   test data (interval, number of points) or what exactly its "mean error" is, so the figure cannot be reproduced;
#   it is for orientation only, and the grading uses the 0.01 line alone.


# %%
def sgd_update(params, grads, lr):
    """Returns new params [(W − lr·dW, b − lr·db), ...]."""
    raise NotImplementedError


# %%
def train(X, Y, layer_sizes, activation="sigmoid", output="sigmoid", loss="half_sse", lr=0.5, epochs=1000,
          batch_size=None, seed=0):  # fmt: skip
    """X: (n_0, N), Y: (n_L, N). Returns (params, losses) with len(losses) == epochs."""
    raise NotImplementedError


# %% [markdown]
# ## 6. 手算一个梯度 / One gradient by hand（3 分 / 3 points）
# 对上面给出的 `LECTURE_PARAMS`、`LECTURE_X`、`LECTURE_Y`（sigmoid 两层，`E = ½‖y − a‖²`；结构取自课件 004 的
# 3–4–2 网络，数值是本课程自己取的，课件里没有这些数，也没有这个梯度的值），求
# $\partial E/\partial\Theta^{(3)}_{23}$：第 2 行第 3 列（从 1 开始数），即 $\delta^{(3)}_2 a^{(2)}_3$，也就是
# `backward` 给出的 `grads[1][0][1, 2]`。写成一个数，至少 6 位有效数字（容差 `rtol=1e-5`；只有 3 位有效数字时得一半）。
# For the given network, input and target (the structure is lecture 004's 3–4–2 network; the numbers are this
# course's own, the lecture has neither them nor this gradient's value), the number
# $\partial E/\partial\Theta^{(3)}_{23}$ (row 2, column 3, counted from 1): $\delta^{(3)}_2 a^{(2)}_3$, i.e.
# `grads[1][0][1, 2]` of `backward`. One number with at least 6 significant digits (tolerance `rtol=1e-5`; 3 correct
# significant digits earn half).

# %%
DE_DTHETA_23 = ...

# %% [markdown]
# ## 7. 作业 IV（人工评分，4 分）/ Essay IV (graded by hand, 4 points)
# 为什么多层神经网络可以拟合任意函数？其与浅层宽网络的区别是什么？把回答写成字符串 `ESSAY_IV`（中文或英文）。
# Why can a multi-layer network fit any function, and how does it differ from a shallow wide one? Write your answer
# as the string `ESSAY_IV` (Chinese or English).

# %%
ESSAY_IV = """
在这里写你的回答。/ Write your answer here.
"""
