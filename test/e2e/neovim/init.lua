-- Headless Neovim as an LSP client of sqlperf: attach the server to the current buffer,
-- wait for its diagnostics, write them as JSON to $SQLPERF_NVIM_OUT, and quit.
-- Written for Neovim 0.7 (Debian 12): vim.lsp.start_client + buf_attach_client.
local server = os.getenv('SQLPERF_SERVER')
local out = os.getenv('SQLPERF_NVIM_OUT')
local root = os.getenv('SQLPERF_ROOT')

local client_id = vim.lsp.start_client({
  name = 'sqlperf',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
  settings = { sqlperf = {} },
})

local function finish(items)
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(items))
  f:close()
  vim.cmd('qall!')
end

-- The file's buffer is loaded only after this script ran: attach once Vim has started.
local function attach()
  vim.lsp.buf_attach_client(0, client_id)
  local bufnr = vim.api.nvim_get_current_buf()
  local waited = 0
  local timer = vim.loop.new_timer()
  timer:start(200, 200, vim.schedule_wrap(function()
    waited = waited + 200
    local diags = vim.diagnostic.get(bufnr)
    if #diags > 0 or waited > 20000 then
      timer:stop()
      local items = {}
      for _, d in ipairs(diags) do
        table.insert(items, { line = d.lnum, col = d.col, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code), message = d.message, severity = d.severity })
      end
      finish(items)
    end
  end))
end

vim.api.nvim_create_autocmd('VimEnter', { callback = attach })
