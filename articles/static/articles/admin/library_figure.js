// A figure from the media library inside the story's body (django-prose-editor).
//
// The editor stores only a reference, <figure data-media-id="12"></figure>;
// the picture, its caption and its credit are drawn from the library when
// readers get the page (articles/figures.py). This module gives the editor
// the node and a button under the editor, "Insert image from library", that
// opens a dialog: search the library, pick an image, or upload one (it lands
// in the library) and insert it at the cursor.
//
// Loaded by django-prose-editor as an extension module (settings
// DJANGO_PROSE_EDITOR_EXTENSIONS): a static file, no inline script, so the
// Content-Security-Policy stays as it is. The URLs come from the
// <template id="library-picker-config"> of the article form.

import { Node, mergeAttributes } from "django-prose-editor/editor"

const thumbnails = new Map()

function config() {
  const element = document.getElementById("library-picker-config")
  return element ? element.dataset : null
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]")
  return input ? input.value : ""
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value
    else node.setAttribute(name, value)
  }
  node.append(...children)
  return node
}

function openPicker(editor) {
  const urls = config()
  if (!urls) return
  const dialog = element("dialog", {
    class: "library-picker",
    "aria-labelledby": "library-picker-title",
  })
  const search = element("input", {
    type: "search",
    id: "library-picker-search",
    placeholder: "Alt text, caption or credit",
  })
  const list = element("ul", { class: "library-picker__list" })
  const status = element("p", { class: "library-picker__status", role: "status" })
  const close = element("button", { type: "button", class: "button", text: "Close" })
  close.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())

  function insert(image) {
    thumbnails.set(String(image.id), image)
    editor.chain().focus().insertLibraryFigure(image.id).run()
    dialog.close()
  }

  function show(images) {
    list.replaceChildren()
    for (const image of images) {
      const pick = element("button", { type: "button", class: "library-picker__pick" })
      if (image.thumbnail) {
        pick.append(element("img", { src: image.thumbnail, alt: "", width: "120" }))
      }
      pick.append(element("span", { text: image.alt || image.caption || `Image ${image.id}` }))
      pick.addEventListener("click", () => insert(image))
      list.append(element("li", {}, pick))
    }
    status.textContent = images.length ? "" : "No image matches."
  }

  async function load() {
    const url = `${urls.listUrl}?q=${encodeURIComponent(search.value)}`
    const response = await fetch(url, { credentials: "same-origin" })
    if (!response.ok) {
      status.textContent = "The library could not be loaded."
      return
    }
    const data = await response.json()
    show(data.images)
    upload.hidden = !data.can_upload
  }

  let timer = null
  search.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(load, 250)
  })

  const upload = element("form", { class: "library-picker__upload" })
  const fields = [
    ["file", "Image file", "file"],
    ["alt_text", "Alt text", "text"],
    ["caption", "Caption", "text"],
    ["credit", "Credit", "text"],
  ]
  for (const [name, label, type] of fields) {
    const id = `library-picker-${name}`
    const input = element("input", { type, name, id })
    if (type === "file") {
      input.setAttribute("accept", "image/jpeg,image/png,image/webp,image/gif")
      input.required = true
    }
    upload.append(element("p", {}, element("label", { for: id, text: label }), input))
  }
  upload.append(element("button", { type: "submit", class: "button", text: "Upload and insert" }))
  upload.addEventListener("submit", async (event) => {
    event.preventDefault()
    status.textContent = "Uploading…"
    const response = await fetch(urls.uploadUrl, {
      method: "POST",
      body: new FormData(upload),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    })
    const data = await response.json().catch(() => ({}))
    if (!response.ok) {
      status.textContent = (data.errors || ["The upload failed."]).join(" ")
      return
    }
    insert(data.image)
  })

  dialog.append(
    element("h2", { id: "library-picker-title", text: "Insert an image from the library" }),
    element("p", {}, element("label", { for: "library-picker-search", text: "Search" }), search),
    status,
    list,
    element("h3", { text: "Or upload a new one" }),
    upload,
    element("p", {}, close),
  )
  document.body.append(dialog)
  dialog.showModal()
  load()
}

export const LibraryFigure = Node.create({
  name: "libraryFigure",
  group: "block",
  atom: true,
  draggable: true,

  addAttributes() {
    return {
      mediaId: {
        default: null,
        parseHTML: (node) => node.getAttribute("data-media-id"),
        renderHTML: (attributes) => ({ "data-media-id": attributes.mediaId }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-media-id]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes(HTMLAttributes)]
  },

  addNodeView() {
    return ({ node }) => {
      const id = String(node.attrs.mediaId)
      const known = thumbnails.get(id)
      const dom = element("figure", { class: "library-figure", "data-media-id": id })
      dom.contentEditable = "false"
      if (known && known.thumbnail) {
        dom.append(element("img", { src: known.thumbnail, alt: "", width: "160" }))
      }
      const words = known ? known.alt || known.caption : ""
      dom.append(element("figcaption", { text: `Library image ${id}${words ? `: ${words}` : ""}` }))
      return { dom }
    }
  },

  addCommands() {
    return {
      insertLibraryFigure:
        (mediaId) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { mediaId: String(mediaId) } }),
    }
  },

  onCreate() {
    if (!config()) return
    const button = element("button", {
      type: "button",
      class: "button library-picker__open",
      text: "Insert image from library",
    })
    button.addEventListener("click", () => openPicker(this.editor))
    const container = this.editor.options.element.closest(".prose-editor")
    ;(container || this.editor.options.element).after(button)
  },
})
