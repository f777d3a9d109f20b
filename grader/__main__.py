from grader.cli import console

console()
