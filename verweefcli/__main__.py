from verweefcli.cli.app import main

main()
