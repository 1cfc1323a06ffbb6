from draftkeeper.cli.front import main

# guarded: the JSON-parsing process pool (spawn) imports this module in its workers
if __name__ == "__main__":
    raise SystemExit(main())
