/* timeline.js: being written */
