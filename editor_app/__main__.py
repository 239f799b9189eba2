from editor_app.cli import main

raise SystemExit(main())
