// The drawing pad of nn_helpers.DrawingPad: a plain HTML canvas, no libraries.
// Pointer Events cover the mouse, touch screens and pens alike. The canvas goes
// to the kernel (as a PNG data URL in the "drawing" trait) once per stroke, when
// the pen is lifted; the kernel answers with "message" and "preview".

const SIDE = 280; // canvas pixels, ten times MNIST's 28
const BRUSH = 28; // a round brush a tenth of the side wide, like MNIST's strokes

function render({ model, el }) {
  const pad = document.createElement("div");
  pad.className = "nn-drawing-pad";
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = SIDE;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", "Drawing pad: draw one digit here");
  const clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "Clear";
  const message = document.createElement("p");
  message.className = "nn-drawing-message";
  message.setAttribute("aria-live", "polite");
  const preview = document.createElement("img");
  preview.className = "nn-drawing-preview";
  preview.alt =
    "The drawing as the network gets it, 28 by 28 pixels, beside a bar chart of its probability for each digit";
  pad.append(canvas, clear, message, preview);
  el.append(pad);

  const pen = canvas.getContext("2d");
  function blank() {
    pen.fillStyle = "white";
    pen.fillRect(0, 0, SIDE, SIDE);
  }
  function line(from, to) {
    pen.strokeStyle = "black";
    pen.lineWidth = BRUSH;
    pen.lineCap = "round";
    pen.lineJoin = "round";
    pen.beginPath();
    pen.moveTo(...from);
    pen.lineTo(...to);
    pen.stroke();
  }
  function place(event) {
    const box = canvas.getBoundingClientRect();
    return [
      ((event.clientX - box.left) * SIDE) / box.width,
      ((event.clientY - box.top) * SIDE) / box.height,
    ];
  }
  function send(drawing) {
    model.set("drawing", drawing);
    model.save_changes();
  }

  let last = null; // where the pen is while it touches the canvas
  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    last = place(event);
    line(last, last);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (last === null) return;
    const next = place(event);
    line(last, next);
    last = next;
  });
  function lift() {
    if (last === null) return;
    last = null;
    send(canvas.toDataURL("image/png"));
  }
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);
  clear.addEventListener("click", () => {
    blank();
    send("");
  });

  function show() {
    message.textContent = model.get("message");
    preview.src = model.get("preview");
    preview.hidden = !model.get("preview");
  }
  model.on("change:message", show);
  model.on("change:preview", show);
  blank();
  if (model.get("drawing")) {
    // Another view of this pad already holds a drawing: show it here too.
    const picture = new Image();
    picture.onload = () => pen.drawImage(picture, 0, 0);
    picture.src = model.get("drawing");
  }
  show();
  return () => {
    model.off("change:message", show);
    model.off("change:preview", show);
  };
}

export default { render };
