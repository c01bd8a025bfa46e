"""The paper's figures: each computes its data, draws it, and checks the paper's predictions."""
