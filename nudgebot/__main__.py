from nudgebot.cli.main import main

raise SystemExit(main())
