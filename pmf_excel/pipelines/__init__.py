"""The commands' work: consolidate the returns, roll over to the next quarter, re-judge a past quarter,
export History, print the committee pack, publish the quarter as a website."""
