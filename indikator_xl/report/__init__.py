"""The Word report drafts: a pure description of the document (`model`), built from the
results (`local`), with drafted comments (`comments`) and charts (`figures`); only
`docx_writer` knows Word."""
