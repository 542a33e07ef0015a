Attribute VB_Name = "PMF"
Option Explicit
' The corporate workbook's buttons. Each hands over to pmf_excel through xlwings' RunPython
' (macros/buttons.py); no logic lives here.

Sub Consolidate()
    RunPython "import macros.buttons; macros.buttons.consolidate()"
End Sub

Sub NewQuarterReturns()
    RunPython "import macros.buttons; macros.buttons.new_quarter_returns()"
End Sub
