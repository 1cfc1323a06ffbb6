from draftkeeper.cli.front import run

# guarded: the JSON-parsing process pool (spawn) imports this module in its workers
if __name__ == "__main__":
    raise SystemExit(run())
