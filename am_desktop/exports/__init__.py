"""The files a user takes away that need both a service's data and a chart's drawing (business
reviews): Qt-free, called the same way by the window's workers and the command line."""
