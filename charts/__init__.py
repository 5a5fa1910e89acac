"""Pure presentation: number formatting, figure builders, sentences, image export."""
