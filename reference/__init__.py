"""The canonical micrograd that gradrill's learner works towards."""
