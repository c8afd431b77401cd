from nudgebot.cli import main

raise SystemExit(main())
