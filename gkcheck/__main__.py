from gkcheck.cli import main

main()
